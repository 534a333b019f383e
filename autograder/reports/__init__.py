"""What leaves the cohort: scores from the gradebook, the completion rule, tables, Excel and CSV
writers, per-participant records and their templates."""
