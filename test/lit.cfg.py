# -*- Python -*-
# lit configuration of the npu test suite.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "NPU"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.npu_obj_root, "test")

config.substitutions.append(("%npu_src_root", config.npu_src_root))
# Where npu-opt, npu-translate and npu-run are, for scripts that run them.
config.substitutions.append(("%npu_tools_dir", config.npu_tools_dir))
# Debian's interpreter, which has python3-numpy (a pyenv python3 earlier on
# PATH may not).
config.substitutions.append(("%python", "/usr/bin/python3"))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
# `not` and `count` at the start of a RUN line are run from PATH.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.npu_tools_dir, config.llvm_tools_dir]
tools = ["npu-opt", "npu-translate", "npu-run", "npu-serve"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
