// Scan module: see ../shared/DESIGN.md
