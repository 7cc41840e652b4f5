"""Package data read without Qt: the label vocabulary and the sample library."""
