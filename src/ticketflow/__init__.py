"""ticketflow: the lifecycle of support tickets as pure functions over immutable values."""
