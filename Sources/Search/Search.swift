// Search module: see ../shared/DESIGN.md
