"""The publication step: every figure that leaves the warehouse is read from a table whose name ends in
`_publicatie`, written here, once, in the build. `rules` holds the limits, the markers and the sentence
that explains them; pages, the council report, Excel files and the MSD export use nothing else."""
