"""The units' workflow: who sees what (access), how a case changes state
(lifecycle), answers and their review, deadlines, the audit log, accounts."""
