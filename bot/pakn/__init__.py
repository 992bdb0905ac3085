"""PAKN (phản ánh, kiến nghị): citizen feedback and petitions, and the deadlines to handle them."""
