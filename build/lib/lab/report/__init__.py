"""Allure reporting: labels, environment, categories, HTML (Allure 3) and summaries."""
