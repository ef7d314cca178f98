"""Running suites: pytest with the lab plugin, then results, JUnit and the HTML report."""
