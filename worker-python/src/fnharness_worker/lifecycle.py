"""Function lifecycle: a function reference may name a class, instantiated once per operator instance.

A class whose instances are callable (it defines ``__call__``) is a function class: for each
registered process bundle descriptor (one Flink operator instance) the worker makes one instance
per class it names, calls its optional ``open(context)`` before the first row and its optional
``close()`` at the end. Calls go to the instance (``instance(*args)``; a keyed function's
``instance(ctx, row)``), and ``module:Class.method`` names a method of that same instance. Any
other callable - a function, a builtin, a class whose instances are not callable (``str``, a
namedtuple), a module-level object - is called as it is, with no lifecycle.

"The end" (docs/protocol.md, "Function lifecycle"): the Fn API has no instruction that
unregisters a descriptor, so as in Beam's DoFn teardown the instances are closed when the worker
ends (its Control stream closed or failed), on the thread that ran their bundles; and at once
when a bundle of theirs fails, since the runner fails the operator with it. A descriptor that
still gets a bundle after a failure gets new instances, opened again.
"""
import importlib
import logging
import traceback
import types

from . import protos
from .errors import RegisterError
from .functions import load_function

log = logging.getLogger(__name__)


class FunctionContext:
    """What ``open(context)`` is told about the operator instance its function runs in.

    From the ``OperatorInfo`` the runner sends in the transform's annotations; the defaults when
    it sends none are those of a lone instance (subtask 0 of 1, attempt 0, no job parameters).
    Later fields (a metric group, ...) join as attributes of the same object.
    """

    __slots__ = ("task_name", "subtask_index", "parallelism", "max_parallelism", "attempt_number",
                 "job_parameters")

    def __init__(self, info=None):
        info = info if info is not None else protos.OperatorInfo()
        self.task_name = info.task_name
        self.subtask_index = info.subtask_index
        self.parallelism = info.parallelism or 1
        self.max_parallelism = info.max_parallelism or self.parallelism
        self.attempt_number = info.attempt_number
        self.job_parameters = types.MappingProxyType(dict(info.job_parameters))

    @classmethod
    def of_transform(cls, transform):
        """The context of a PTransform: its OperatorInfo annotation, or the defaults."""
        data = transform.annotations.get(protos.OPERATOR_INFO_ANNOTATION)
        return cls(protos.OperatorInfo.FromString(data) if data else None)

    def __repr__(self):
        return (f"FunctionContext(task_name={self.task_name!r}, subtask_index={self.subtask_index}, "
                f"parallelism={self.parallelism}, max_parallelism={self.max_parallelism}, "
                f"attempt_number={self.attempt_number}, job_parameters={dict(self.job_parameters)!r})")


def is_function_class(obj):
    """Whether ``obj`` is a class whose instances are callable: a function class. (Not a
    metaclass such as ``type``: its instances are classes.)"""
    return (isinstance(obj, type) and not issubclass(obj, type)
            and any("__call__" in vars(k) for k in obj.__mro__ if k is not object))


class FunctionInstances:
    """The functions of one operator instance: loaded once, function classes instantiated once each.

    ``load`` at register time, then ``open`` (before the first row), ``close`` at the end.
    """

    def __init__(self, python_files, context):
        self.python_files = list(python_files)
        self.context = context
        self._instances = {}  # "module:Class" -> instance, in the order they were made
        self._opened = []  # (reference, instance) whose open() has run, in that order

    def load(self, module, qualname):
        """The callable for ``module:qualname``: a function as it is, or a function class's
        instance (made on first use), or a bound method of such an instance. Raises
        FunctionLoadError or RegisterError with the register error text."""
        obj = load_function(module, qualname, self.python_files)  # errors name the whole reference
        parts = qualname.split(".")
        owner = importlib.import_module(module)  # imported already: following it cannot fail now
        for end, part in enumerate(parts, 1):
            owner = getattr(owner, part)
            if is_function_class(owner):  # "Class" or "Class.method": the instance's method
                found = self._instance(module, ".".join(parts[:end]), owner)
                # The bound __call__, not the instance: map() calls it at a function's cost
                # (calling an instance looks __call__ up on every row).
                for rest in parts[end:] or ["__call__"]:
                    found = getattr(found, rest)
                return found
        return obj

    def instance(self, module, qualname):
        """The instance made for the function class ``module:qualname``, or None."""
        return self._instances.get(f"{module}:{qualname}")

    def _instance(self, module, qualname, cls):
        reference = f"{module}:{qualname}"
        instance = self._instances.get(reference)
        if instance is None:
            try:
                instance = cls()
            except (Exception, SystemExit):
                raise RegisterError(f"Python function '{reference}' failed in __init__():\n"
                                    f"{traceback.format_exc()}") from None
            self._instances[reference] = instance
        return instance

    def open(self):
        """Calls ``open(context)`` of every instance that has one, in the order they were made.
        When one raises, closes those already opened and raises RegisterError."""
        for reference, instance in self._instances.items():
            opener = getattr(instance, "open", None)
            try:
                if opener is not None:
                    opener(self.context)
            except (Exception, SystemExit):
                error = f"Python function '{reference}' failed in open(context):\n{traceback.format_exc()}"
                self.close()
                raise RegisterError(error) from None
            self._opened.append((reference, instance))

    def close(self):
        """Calls ``close()`` of every opened instance that has one, last opened first. A close()
        that raises is logged; the others still run. Safe to call again: each closes once."""
        opened, self._opened = self._opened, []
        for reference, instance in reversed(opened):
            closer = getattr(instance, "close", None)
            if closer is None:
                continue
            try:
                closer()
            except (Exception, SystemExit):
                log.warning("Python function '%s' failed in close()", reference, exc_info=True)
