# Turns one engine's numbered migrations (sql/<engine>/NNN_name.sql) into a
# C table of struct migration (db.h), in order. Invoked with -DOUT=file.c
# -DNAME=the_table (its count is NAME_count) -DDIR=sql/<engine> (for the
# comment) -DFILES=a.sql|b.sql (in order).
string(REPLACE "|" ";" FILES "${FILES}")
set(body "/* Generated from ${DIR}/ by scripts/cmake/embed_sql.cmake: do not edit. */\n#include \"db.h\"\n\nextern const struct migration ${NAME}[];\nextern const int ${NAME}_count;\n\nconst struct migration ${NAME}[] = {\n")
set(n 0)
foreach(f IN LISTS FILES)
  get_filename_component(name ${f} NAME_WE)
  string(REGEX MATCH "^[0-9]+" version "${name}")
  math(EXPR version "${version} + 0")
  file(READ ${f} sql)
  string(REPLACE "\\" "\\\\" sql "${sql}")
  string(REPLACE "\"" "\\\"" sql "${sql}")
  string(REPLACE "\n" "\\n\"\n\"" sql "${sql}")
  string(APPEND body "  {${version}, \"${name}\",\n\"${sql}\"},\n")
  math(EXPR n "${n} + 1")
endforeach()
string(APPEND body "};\nconst int ${NAME}_count = ${n};\n")
file(WRITE ${OUT} "${body}")
