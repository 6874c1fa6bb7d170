"""Online verification: every referenced secret exists, may be read, and has its keys.

references (offline pass) -> plan (unique secrets by region) -> verify (boto3)
-> findings YSL401–YSL405. boto3 is imported only here. No secret value is ever
printed, logged, cached or written: values are reduced to their JSON key paths
the moment they arrive and dropped.
"""
