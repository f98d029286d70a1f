# Turns the JSON file IN into a C++ source OUT defining cognate::model::kServiceModelJson.
file(READ ${IN} HEX HEX)
string(LENGTH "${HEX}" HEX_LEN)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," BYTES "${HEX}")
file(WRITE ${OUT} "// Generated from ${IN}; do not edit.\n#include <string_view>\n"
  "namespace cognate::model {\nstatic const unsigned char kData[] = {${BYTES}};\n"
  "extern const std::string_view kServiceModelJson(reinterpret_cast<const char*>(kData), sizeof(kData));\n}\n")
