"""The node tree: the codebook as a tree with counts, drag and drop, and the node dialogs."""
