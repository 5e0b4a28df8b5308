# `make` lists the targets; they are defined in make/hds.mk and call scripts/.
include make/hds.mk
