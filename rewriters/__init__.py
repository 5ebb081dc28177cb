"""One module per fix. Each registers its check with ``codemod.rules.rule``;
``codemod.rules.all_rules()`` imports every module here that does not start with ``_``."""
