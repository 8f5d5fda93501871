"""Build configuration that pyproject.toml cannot express: the optional native Ken Burns warp.

``reelwright.render._warp`` is a small C extension (SSSE3) that draws Ken Burns frames about
eight times faster than OpenCV's ``warpAffine``. It is optional: without a C compiler the
install still succeeds and ``render.motion`` falls back to OpenCV (same picture, more CPU).
"""

from setuptools import Extension, setup

setup(ext_modules=[
    Extension("reelwright.render._warp", ["src/reelwright/render/_warp.c"],
              extra_compile_args=["-O3", "-Wall", "-Wextra"], optional=True),
])
