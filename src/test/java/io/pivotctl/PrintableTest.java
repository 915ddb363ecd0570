package io.pivotctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void controlCharactersBecomeQuestionMarksAndLongTextIsCutAtTheLimit() {
        assertEquals("a?b?c", Printable.of("a\nb\u0007c"));
        assertEquals("", Printable.of(null));
        String huge = "x".repeat(60_000);
        String cut = Printable.of(huge);
        assertEquals(Printable.MAX + 3, cut.length());
        assertEquals("x".repeat(Printable.MAX) + "...", cut);
        assertEquals("y".repeat(Printable.MAX), Printable.of("y".repeat(Printable.MAX)));
    }
}
