package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The relay's log lines reach log4j: a dependency that drags in slf4j-api 1.x makes slf4j fall back to its
 * no-operation logger and every progress and failure line silently disappears (HikariCP did exactly that).
 */
class LoggingBindingTest {

    @Test
    void slf4jIsBoundToLog4jNotToTheSilentFallback() {
        String factory = LoggerFactory.getILoggerFactory().getClass().getName();
        assertTrue(factory.startsWith("org.apache.logging.slf4j"), "slf4j bound to " + factory);
    }
}
