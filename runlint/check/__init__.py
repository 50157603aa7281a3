"""Check: the schema layer, the rules and the facts they use (model table, tokenizers)."""
