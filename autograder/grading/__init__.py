"""Autograding through nbgrader: the run and its workers, notebook execution, the sandbox and the
warm kernels (zygote) participants' code runs in, the guarded speed-ups, and plain nbgrader as the peer."""
