// Digest module: see ../shared/DESIGN.md
