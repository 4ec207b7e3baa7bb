"""Indicators: one SQL definition per indicator over the marts, plus publication rules."""
