"""Who may call the customer endpoints: staff permissions per action (X-1)."""

from servicekit.auth import require_permission

CustomersQuery = require_permission("customers:query")
CustomersEntry = require_permission("customers:entry")
CustomersModify = require_permission("customers:modify")
CustomersReview = require_permission("customers:review")
