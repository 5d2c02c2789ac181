"""Forms check the shape of input; services check the business rules."""
