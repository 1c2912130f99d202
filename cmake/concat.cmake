# cmake -DOUT=file -DPARTS="a|b|c" -P concat.cmake: writes the parts one after another.
string(REPLACE "|" ";" PARTS "${PARTS}")
file(WRITE ${OUT} "")
foreach(part ${PARTS})
  file(READ ${part} content)
  get_filename_component(name ${part} NAME)
  file(APPEND ${OUT} "-- ==== ${name} ====\n${content}\n")
endforeach()
