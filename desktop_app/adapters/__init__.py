"""Qt adapters shared by the command line and the window: Qt rendering, but no widgets."""
