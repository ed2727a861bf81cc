"""The FatturaPA 1.2.3 schema of the Agenzia delle Entrate and the W3C xmldsig schema it imports."""
