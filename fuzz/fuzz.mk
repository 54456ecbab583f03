# SPDX-License-Identifier: Apache-2.0
# (filled in by its part)
