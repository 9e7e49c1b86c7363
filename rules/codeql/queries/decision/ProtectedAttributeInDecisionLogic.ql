/**
 * @name Protected attribute in decision logic
 * @description A protected attribute decides a group-specific threshold or score offset
 *              (through `if`, a conditional expression, `np.where`/`torch.where`/`tf.where`, or
 *              a per-group threshold table), possibly in another function than the one that
 *              reads it; review whether the different treatment is intended and lawful.
 * @kind path-problem
 * @problem.severity warning
 * @precision high
 * @id py/fairlint/protected-attribute-in-decision-logic
 * @tags fairness
 *       external/fairlint/DL01
 *       stage/decision
 *       technology/numpy
 *       technology/pytorch
 *       technology/tensorflow
 *       technology/python
 * @bias-pattern DL01
 * @stage decision
 */

import python
import fairlint.DecisionLogicQuery
import DecisionLogicFlow::PathGraph

from DecisionLogicFlow::PathNode source, DecisionLogicFlow::PathNode sink, DecisionLogic::Sink decider
where DecisionLogicFlow::flowPath(source, sink) and decider = sink.getNode()
select decider.getDecision(), source, sink,
  "This threshold or score offset depends on the protected attribute $@ (through " +
    decider.getConstruct() + ").", source.getNode(),
  source.getNode().(ModelInputFlow::Source).getAttributeName()
