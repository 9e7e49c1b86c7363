/**
 * @name Gender binarised
 * @description Gender is encoded as two values (a two-entry mapping, a comparison with one
 *              value turned into 0/1, a two-unit gender head), erasing non-binary people and
 *              misclassifying anyone outside the two categories.
 * @kind problem
 * @problem.severity warning
 * @precision medium
 * @id py/fairlint/gender-binarised
 * @tags fairness
 *       external/fairlint/DP07
 *       stage/preparation
 *       technology/pandas
 *       technology/pytorch
 *       technology/keras
 * @bias-pattern DP07
 * @stage preparation
 */

import python
import semmle.python.dataflow.new.DataFlow
import fairlint.GenderBinarisation

from DataFlow::Node alert, string message, DataFlow::Node related, string label
where
  exists(BinaryGenderMapping mapping |
    appliesBinaryGenderMapping(alert, mapping) and
    related.asExpr() = mapping and
    message = "This call maps gender onto two values with $@." and
    label = "this two-entry mapping"
  )
  or
  exists(BinarisedGenderComparison cmp |
    alert.asExpr() = cmp and
    message = "This comparison with $@ turns gender into a 0/1 feature." and
    related.asExpr() = cmp.getASubExpression() and
    related.asExpr().(StringLiteral).getText() = cmp.getValue() and
    label = "\"" + cmp.getValue() + "\""
  )
  or
  alert instanceof BinaryGenderHead and
  message = "This two-unit output layer is $@." and
  related = alert and
  label = "a binary gender head"
select alert, message, related, label
