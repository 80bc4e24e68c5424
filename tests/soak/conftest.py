def pytest_configure(config):
    config.addinivalue_line(
        "markers", "soak: the chaos soak (X-2): a whole private system for SOAK_SECONDS "
        "(default 30; make soak: 180) with processes killed and the broker cut")
