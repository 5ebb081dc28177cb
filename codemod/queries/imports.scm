; Module references at the top level of a file (dynamic_imports.scm finds the rest).
; Captures:
;   @import    an `import ... from '...'`, `import '...'` or `import x = require('...')`
;              statement (facts.py tells them apart; `export import x = require(...)`,
;              which the grammar splits in two statements, is found there too)
;   @reexport  an `export ... from '...'` statement
(program (import_statement) @import)
(program (export_statement source: (string)) @reexport)
