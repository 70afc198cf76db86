# CMake helpers for Kiln's layout.

# kiln_apply_sanitizers("address;undefined" | "thread" | "")
function(kiln_apply_sanitizers sanitizers)
  if(sanitizers STREQUAL "")
    return()
  endif()
  foreach(s ${sanitizers})
    if(NOT s MATCHES "^(address|undefined|thread)$")
      message(FATAL_ERROR "KILN_SANITIZE: unknown sanitizer '${s}' (address, undefined or thread)")
    endif()
  endforeach()
  if("thread" IN_LIST sanitizers AND "address" IN_LIST sanitizers)
    message(FATAL_ERROR "KILN_SANITIZE: thread cannot be combined with address")
  endif()
  string(REPLACE ";" "," list "${sanitizers}")
  set(flags -fsanitize=${list} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  if("undefined" IN_LIST sanitizers)
    # Applications may be built with -fno-rtti (TensorRT's samples are): the vptr check cannot
    # identify their objects (loggers, allocators, profilers) and would report false errors.
    list(APPEND flags -fno-sanitize=vptr)
  endif()
  add_compile_options(${flags})
  add_link_options(${flags})
  string(REPLACE ";" " " flat "${flags}")
  set(KILN_SANITIZE_LINK_FLAGS "${flat}" PARENT_SCOPE)
endfunction()

# kiln_add_module(<name> <folder> [DEPS <modules>...]): one OBJECT library per src/ folder, so the
# include dependencies of DESIGN.md's dependency table are visible in one place (src/CMakeLists.txt).
function(kiln_add_module name folder)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${folder}/*.cpp)
  add_library(${name} OBJECT ${sources})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
  foreach(dep ${ARG_DEPS})
    target_link_libraries(${name} PUBLIC ${dep})
  endforeach()
endfunction()
