"""Pure billing rules: dates, periods, money, pricing. Imports nothing of the project."""
