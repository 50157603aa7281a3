// The extension's command ids and the code action kind of the server's "every safe fix" action.
export const FIX_ALL_KIND = "source.fixAll.runlint";
export const FIX_ALL_COMMAND = "runlint.fixAll";
export const RESTART_COMMAND = "runlint.restart";
export const INSTALL_COMMAND = "runlint.install";
export const SHOW_OUTPUT_COMMAND = "runlint.showOutput";
