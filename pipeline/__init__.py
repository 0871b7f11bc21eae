__version__ = "0.2.0"  # raise it whenever the outputs for the same input change: batch then checks every file again
