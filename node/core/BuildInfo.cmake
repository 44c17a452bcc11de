# Writes BuildInfo.cpp at every build (not only when CMake configures): the commit of the source
# tree, "-dirty" when it has uncommitted changes, and when the build was made. A binary built
# after more commits or edits says so (a stale binary must be visible at a glance; an identity
# taken at configure time named the commit the build directory was configured on). The file is
# rewritten only when the identity changed, so a build of the same tree recompiles nothing.
# In: IN, OUT, SOURCE_DIR, VERSION.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE hash OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT hash)
  set(hash "unknown")
else()
  execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(changes)
    set(hash "${hash}-dirty")
  endif()
endif()
if(EXISTS ${OUT})
  file(READ ${OUT} written)
  string(FIND "${written}" "\"${VERSION}\", \"${hash}\"," at)
  if(NOT at EQUAL -1)
    return()
  endif()
endif()
set(PROJECT_VERSION ${VERSION})
set(SKIFF_GIT_HASH ${hash})
string(TIMESTAMP SKIFF_BUILD_TIME "%Y-%m-%dT%H:%M:%SZ" UTC)
configure_file(${IN} ${OUT} @ONLY)
