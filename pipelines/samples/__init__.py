"""Seeded synthetic case exports: canonical frames, deliveries in source layouts, demo, national and defect sets."""
from pipelines.samples.generator import generate_cases
from pipelines.samples.layouts import write_delivery
from pipelines.samples.sets import DEMO_GEMEENTEN, write_demo_set, write_national_set
from pipelines.samples.defects import write_defect_set

__all__ = ["generate_cases", "write_delivery", "write_demo_set", "write_national_set", "write_defect_set",
           "DEMO_GEMEENTEN"]
