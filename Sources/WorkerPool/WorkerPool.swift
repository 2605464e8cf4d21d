// WorkerPool module: see ../shared/DESIGN.md
