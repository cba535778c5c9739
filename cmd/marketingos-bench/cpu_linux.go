package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuSample is the CPU time this process and the whole machine have used so far.
type cpuSample struct {
	ok          bool
	process     time.Duration // user + system time of this process
	busy, total uint64        // machine-wide jiffies from /proc/stat
}

// cpuUsage is the CPU used during a phase.
type cpuUsage struct {
	OK bool
	// ProcessCores is the CPU time of this process (servers and load generator) per second of wall time.
	ProcessCores float64
	// MachineBusy is the busy share of all CPUs (this process, PostgreSQL, everything else), 0..1.
	MachineBusy float64
}

func readCPU() cpuSample {
	var s cpuSample
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return s
	}
	s.process = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	f, err := os.Open("/proc/stat")
	if err != nil {
		return s
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return s
	}
	fields := strings.Fields(sc.Text()) // cpu user nice system idle iowait irq softirq steal ...
	if len(fields) < 5 || fields[0] != "cpu" {
		return s
	}
	for i, f := range fields[1:] {
		n, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return s
		}
		if i >= 8 { // guest time is already counted in user
			break
		}
		s.total += n
		if i != 3 && i != 4 { // idle, iowait
			s.busy += n
		}
	}
	s.ok = true
	return s
}

func (s cpuSample) since(before cpuSample, wall time.Duration) cpuUsage {
	if !s.ok || !before.ok || wall <= 0 || s.total == before.total {
		return cpuUsage{}
	}
	return cpuUsage{
		OK:           true,
		ProcessCores: (s.process - before.process).Seconds() / wall.Seconds(),
		MachineBusy:  float64(s.busy-before.busy) / float64(s.total-before.total),
	}
}

// loadAverage is the machine's 1, 5 and 15 minute load average: other work on the machine skews the figures.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "n/a"
	}
	if f := strings.Fields(string(b)); len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "n/a"
}
