"""Children not in school (Children's Wellbeing and Schools Act 2026): consent to home educate
(s434A) and the children-not-in-school register (ss436B-436G), behind CME_CNIS_ENABLED.
Issue 17 items 3 and 4."""
