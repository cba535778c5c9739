//go:build !linux

package main

import "time"

// cpuSample is not measured outside Linux.
type cpuSample struct{}

// cpuUsage is the CPU used during a phase; OK is false where it is not measured.
type cpuUsage struct {
	OK           bool
	ProcessCores float64
	MachineBusy  float64
}

func readCPU() cpuSample { return cpuSample{} }

func (cpuSample) since(cpuSample, time.Duration) cpuUsage { return cpuUsage{} }

func loadAverage() string { return "n/a" }
