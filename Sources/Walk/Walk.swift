// Walk module: see ../shared/DESIGN.md
