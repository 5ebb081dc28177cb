; Top-level declarations, exported or not (for duplicate detection).
; Captures:
;   @declaration  a declaration statement directly under the program
;   @exported     the same, wrapped in `export`
(program
  [(lexical_declaration) (variable_declaration) (function_declaration)
   (generator_function_declaration) (function_signature) (class_declaration)
   (abstract_class_declaration) (enum_declaration) (interface_declaration)
   (type_alias_declaration) (internal_module) (module) (ambient_declaration)] @declaration)
; A bare `namespace N {}` / `module M {}` is wrapped in an expression statement.
(program (expression_statement [(internal_module) (module)] @declaration))
(program
  (export_statement
    declaration: [(lexical_declaration) (variable_declaration) (function_declaration)
                  (generator_function_declaration) (function_signature) (class_declaration)
                  (abstract_class_declaration) (enum_declaration)
                  (interface_declaration) (type_alias_declaration)
                  (internal_module) (module) (ambient_declaration)] @declaration) @exported)
