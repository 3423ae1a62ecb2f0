"""Files in and out: document importers (one module per format family), case sheets.

`qualcode.io.documents.read_document(path)` reads any supported transcript into a
`ReadDocument` (normalised text + speaker turns); the services store it.
"""
