;;; report.el --- drives `emacs -nw' configured docs/editors.md's way  -*- lexical-binding: t -*-
;; Loaded after docs/editors.md's init.el by `emacs -nw -l report.el FIRST', FIRST being the first of
;; $RUNLINT_EMACS_FILES. Opens the others as a person does (C-x C-f NAME RET, read by the command
;; loop, so that its hooks run), each once the one before has settled: findings in flymake, or
;; still not managed by eglot 2 s after it opened (eglot connects the first one a moment late). Then writes what each buffer got, as JSON, to $RUNLINT_EMACS_OUT and quits.
(require 'json)
(require 'cl-lib)

(defun report--buffer (name)
  (with-current-buffer (get-file-buffer (expand-file-name name))
    `((file . ,name)
      (mode . ,(symbol-name major-mode))
      (managed . ,(if (bound-and-true-p eglot--managed-mode) t :json-false))
      (diagnostics . ,(vconcat (mapcar (lambda (d) `((line . ,(line-number-at-pos (flymake-diagnostic-beg d)))
                                                     (text . ,(flymake-diagnostic-text d))))
                                       (flymake-diagnostics)))))))

(let* ((files (split-string (getenv "RUNLINT_EMACS_FILES") ":"))
       (opened (list (car files)))  ; the last opened first
       (opened-at (float-time))
       (deadline (+ (float-time) 30)))
  (run-with-timer
   0.1 0.1
   (lambda ()
     (let* ((buffer (window-buffer (selected-window)))
            (settled (and (null unread-command-events)
                          (equal (buffer-file-name buffer) (expand-file-name (car opened)))
                          (with-current-buffer buffer
                            (if (bound-and-true-p eglot--managed-mode)
                                (flymake-diagnostics)
                              (> (float-time) (+ opened-at 2))))))
            (next (nth (length opened) files)))
       (cond ((and settled next)
              (push next opened)
              (setq opened-at (float-time))
              (setq unread-command-events (listify-key-sequence (kbd (format "C-x C-f %s RET" next)))))
             ((or settled (> (float-time) deadline))
              (with-temp-file (getenv "RUNLINT_EMACS_OUT")
                (insert (json-encode (vconcat (mapcar #'report--buffer (reverse opened))))))
              (kill-emacs 0)))))))
