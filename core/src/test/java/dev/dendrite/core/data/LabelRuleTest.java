package dev.dendrite.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LabelRuleTest {

  @Test
  void classIndicesAreIntegersBelowTheNumberOfOutputs() {
    LabelRule rule = LabelRule.of("sparse_categorical_crossentropy", 10);
    assertEquals(new LabelRule(LabelRule.Kind.CLASS_INDEX, 10), rule);
    for (double ok : new double[] {0, 1, 9}) {
      assertNull(rule.problem(ok), "label " + ok);
    }
    for (double bad : new double[] {-1, 10, 200, 1e9, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertNotNull(rule.problem(bad), "label " + bad);
    }
    assertEquals("is not a class index: expected an integer in 0..9 (the network has 10 outputs)", rule.problem(200));
    assertEquals(LabelRule.Kind.CLASS_INDEX, LabelRule.of("categorical_crossentropy", 3).kind());
  }

  @Test
  void binaryLossesTakeZeroOrOneAndScoreLossesAlsoMinusOne() {
    LabelRule bce = LabelRule.of("binary_crossentropy", 1);
    assertNull(bce.problem(0));
    assertNull(bce.problem(1));
    assertNotNull(bce.problem(-1));
    assertNotNull(bce.problem(0.5));
    assertEquals(LabelRule.Kind.BINARY, LabelRule.of("binary_crossentropy_logits", 1).kind());
    assertEquals(LabelRule.Kind.BINARY, LabelRule.of("binary_crossentropy", 3).kind(), "multi-label targets");
    LabelRule hinge = LabelRule.of("hinge", 1);
    assertNull(hinge.problem(-1));
    assertNull(hinge.problem(0));
    assertNull(hinge.problem(1));
    assertNotNull(hinge.problem(2));
  }

  @Test
  void regressionTargetsAreAnyFiniteFloat() {
    LabelRule mse = LabelRule.of("mse", 1);
    assertNull(mse.problem(-1e9));
    assertNull(mse.problem(3.5));
    assertNotNull(mse.problem(Double.NaN));
    assertNotNull(mse.problem(1e39), "overflows float");
  }

  @Test
  void theNumberOfClassesIsCappedWhereFloatsStopHoldingEveryInteger() {
    assertThrows(IllegalArgumentException.class, () -> new LabelRule(LabelRule.Kind.CLASS_INDEX, LabelRule.MAX_CLASSES + 1));
    assertEquals(LabelRule.MAX_CLASSES, LabelRule.of("sparse_categorical_crossentropy", Integer.MAX_VALUE).classes());
  }
}
