"""Online verification: every referenced secret or parameter exists, may be read, and has its keys.

references (offline pass) -> plan (unique targets by region) -> a backend per
provider (verify.py: Secrets Manager; parameters.py: Parameter Store) ->
findings YSL401–YSL408. boto3 is imported only here. No secret value is ever
printed, logged, cached or written: values are reduced to facts (JSON key
paths, a type) the moment they arrive and dropped.
"""

#: Which backend reads a reference, by its provider; the ones not listed are not checked online.
BACKENDS = {"aws-secretsmanager": "secretsmanager", "ssm": "parameterstore"}
NOT_CHECKED = "none"
