#!/bin/sh
# What every client connecting to the fake database reads.
echo fakedb
