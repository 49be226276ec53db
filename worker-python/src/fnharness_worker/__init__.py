"""fnharness Python worker: runs user functions for Flink over the Beam Fn API."""
