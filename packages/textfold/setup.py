"""One C extension module, `textfold`; see textfold.c."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("textfold", ["textfold.c"], extra_compile_args=["-O2"])])
