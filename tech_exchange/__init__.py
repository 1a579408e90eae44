"""Technology exchange: offers and requests, enquiries, deals and Stripe payments."""
