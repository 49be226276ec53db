"""A registered process bundle descriptor (one Flink operator instance): its processor and the
lifecycle of its functions (lifecycle.py).

Built and opened at register; after a failed bundle its functions are closed and the processor
dropped, so that a later bundle, should the runner send one, gets a new processor with newly
opened functions (Beam discards a failed bundle processor the same way); closed for good when the
worker ends.
"""
from . import processors


class RegisteredDescriptor:
    """One descriptor's processor, built from the registry, and its functions' lifecycle."""

    def __init__(self, descriptor, python_files, state_clients):
        self.descriptor = descriptor
        self._python_files = python_files
        self._state_clients = state_clients  # url -> StateClient (state_client.StateClients)
        self._registration = None
        self._processor = None
        self.processor()  # register-time errors answer the register instruction

    @property
    def id(self):
        return self.descriptor.id

    def processor(self):
        """The processor, built and its functions opened if there is none (first use, or after
        a failed bundle). Raises RegisterError (or FunctionLoadError) with the error text."""
        if self._processor is None:
            registration = processors.Registration.of(self.descriptor, self._python_files)
            try:
                processor = processors.from_descriptor(self.descriptor, registration)
                registration.functions.open()
            except BaseException:
                registration.functions.close()  # the instances made before the failure
                raise
            self._registration, self._processor = registration, processor
        return self._processor

    def bundle(self, instruction_id, inputs, send):
        """The BundleContext of one of this descriptor's bundles."""
        url = self.descriptor.state_api_service_descriptor.url
        open_state_client = (lambda: self._state_clients(url)) if url else None
        return processors.BundleContext(instruction_id, inputs, send, open_state_client)

    def close(self):
        """Calls the functions' close(); the next bundle, if any, builds the processor anew."""
        registration, self._registration, self._processor = self._registration, None, None
        if registration is not None:
            registration.functions.close()
