"""Atlas Desktop for LibreOffice Writer (Python-UNO, standard library only): the document
side of live citations. ``atlas_writer.py`` beside this folder is the UNO component."""
